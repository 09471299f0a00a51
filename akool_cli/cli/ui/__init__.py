"""How output looks on a terminal and in a pipe: streams, text, tables, listings, the
pager, progress, help, and the one printer of streamed answers. No command lives here."""
