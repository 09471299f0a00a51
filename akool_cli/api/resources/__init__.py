"""One module per API resource; each is attached to :class:`~akool_cli.api.client.Client`."""
