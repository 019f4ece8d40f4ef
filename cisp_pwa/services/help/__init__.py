"""Help near the trainee: the partner services of her centre's network, their opening hours,
and the referrals her coaches propose, which need her yes."""
