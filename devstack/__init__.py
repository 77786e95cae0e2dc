"""The local stack behind `make dev` and the tests: moto for AWS, the real handlers
behind a small API Gateway stand-in, demo data. Never deployed."""
