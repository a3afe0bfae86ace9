"""The static site: pages, templates and the pictures drawn for them."""
