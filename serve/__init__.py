"""incidentkg's SPARQL endpoint (``incidentkg serve``) and its clients (``query --endpoint``, ``push``).

- :mod:`.app` - the Starlette application: ``/sparql`` (SPARQL 1.1 Protocol), ``/queries``,
  ``/health`` and the offline query page ``/``, over an in-memory pyoxigraph store.
- :mod:`.results` - results in the Protocol's media types, chosen by ``Accept``.
- :mod:`.client` - a query to any SPARQL 1.1 endpoint, and a push over the Graph Store Protocol.
"""
