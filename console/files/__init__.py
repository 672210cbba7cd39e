"""The file manager: browse a connection, one file's page, uploads signed for the browser, incomplete uploads."""
