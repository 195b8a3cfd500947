"""`make bench`: figures against DESIGN §6, each beside a floor measured in the same run."""
