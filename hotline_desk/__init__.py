"""hotline_desk — the core of the 12345 hotline desk: domain rules, services, store. No Qt, no telephony."""
