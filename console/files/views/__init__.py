"""File manager views, one module per resource; helpers they share are in console.files.common."""
