"""A space's resource library: files and links with tags, safe downloads."""
