"""The templated web console for enterprise admins (``/console/``).

Views are thin: they turn form input into the same service calls the REST API makes
(``autoattendant/services``), under the same role rules, and show the services' refusals next to
the fields they name.
"""
