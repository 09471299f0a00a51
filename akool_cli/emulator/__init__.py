"""An offline emulator of the Live Avatar API (HTTP and websocket on one port).

Needs the ``emulator`` extra (aiohttp): ``pip install 'akool-cli[emulator]'``.
"""
