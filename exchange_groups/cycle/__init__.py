"""A space's yearly cycle: needs-diagnosis and evaluation questionnaires, their results, the work plan."""
