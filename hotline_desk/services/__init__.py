"""Use cases of the ticket core. Each public method takes the signed-in ``Actor``, checks the
actor's permission itself, runs in one transaction, and returns domain value objects."""
