"""The UI kit: rx.el + Tailwind with logical (start/end) utilities, so Arabic mirrors."""
