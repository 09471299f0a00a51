"""Chat over the websocket: protocol frames and the conversation. No Typer here."""
