"""Bolt listeners, one module per kind; each has ``register(app, deps)``. They stay thin: ack,
run the conversation, reply."""
