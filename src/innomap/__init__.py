"""innomap: the ecosystem cities of Finland's Innovating Cities and Communities programme."""
