"""innomap: the ecosystem cities of Innovative Cities and Communities (InnoCities), Finland."""
