"""tests/skill: the agent skill, the migration report's help texts, and the skill followed end
to end."""

# data/ holds a legacy project (with its own tests, written for the legacy cookbook): it is
# test input, not tests of ftmigrate.
collect_ignore = ["data"]
