"""Business operations: each takes validated input and a caller, asks the rules
module for every program rule and the data layer for every read and write."""
