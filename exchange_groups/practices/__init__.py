"""Good practices: the public base of GoodPracticePages and members' submissions through a workflow."""
