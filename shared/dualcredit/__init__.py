"""CTE Dual Credit shared package: rules, models, data access, payments and email."""
