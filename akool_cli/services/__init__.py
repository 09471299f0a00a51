"""What commands share beyond the API: which credential is in use, and the life of a
session (create and remember, wait until live, find the chat room, close). Built on
``api``, ``chat`` and ``local``; knows nothing of Typer or of how things are printed."""
