"""telephony — everything the desk knows about the Asterisk PBX. No Qt, no hotline_desk.

- ``protocol``: the AMI wire format (incremental decoder, encoder) — shared with the simulator.
- ``events``: the typed events and value types the layers above see (no AMI header leaves here).
- ``link``: the 24-hour AMI link (panoramisk's protocol + our decoder; login, backoff, watchdog).
- ``tracker`` / ``agents`` / ``outgoing``: pure logic — one desk's pops, agent states,
  click-to-call outcomes — fed with AMI messages, testable without sockets.
- ``desk``: the façade the UI uses (``PbxConfig``, ``DeskPhone``, ``SupervisorTools``,
  ``check_connection``); ``monitor``: the wallboard feed (``QueueMonitor``).
- ``cli``: ``hotline-ami``; ``simulator``: a PBX simulator speaking AMI like Asterisk 22.
"""
