"""People: who a person is and how she gets in (sign-in, sessions, PINs on her own phone,
passwords, the second factor, QR invitations, enrolment links), what a centre's admin does
with the accounts of her centre, and the terms each person says yes to."""
