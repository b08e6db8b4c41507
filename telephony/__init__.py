"""telephony — everything the desk knows about the Asterisk PBX (AMI over panoramisk). No Qt, no hotline_desk."""
