"""Request shapes per API area: endpoints, argument checks and body builders (no I/O).

One module per area, imported by the async resources and their generated sync twins alike, so
each check exists once. Each module declares its ``Endpoint``s (spec ``operationId`` and retry
class beside the path) and the pure functions that turn a method's arguments into query
parameters or a JSON body, failing early with ``InvalidArgumentError`` on input that cannot make
a correct request. Limits the spec leaves to the server's business rules are the server's.
"""
