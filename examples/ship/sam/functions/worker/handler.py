"""Stand-in handler: a real one reads the baked file next to it with the
Python reader (see examples/python)."""


def handler(event, context):
    return {"statusCode": 204}
