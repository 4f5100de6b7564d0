"""SMS text analysis and the backends the dispatcher sends through."""
