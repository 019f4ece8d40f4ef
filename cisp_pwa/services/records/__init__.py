"""A person's records: her data in her hands (export, who opened her file), erasure by her
centre's admin, and what is kept how long."""
