"""The console's forms: presentation and parsing, in the services' own terms.

A form's cleaned data become the arguments of the service its view calls, under the models'
names (``timeout_seconds``, ``keys``, ``timeout_action``): ``changes()`` hands them over, and the
service checks the rules — the same service, and so the same rules, as the API's. A refusal
names fields the same way; ``error_field`` says where each one is shown (``place_error``): on the
form field of that name, on an action's pickers, or above the form.

One module per aggregate (``menus``, ``schedules``, ``systems``, ``announcements``, ``numbers``,
``users``), beside the login form (``auth``) and the call simulator's (``simulator``); what they
share is in ``base`` (``ServiceForm``) and ``actions`` (the action pickers). Import a form from
its module.
"""
