"""The certificates app's pages, one module per audience: ``public`` (verification, JWKS, the
API schema), ``worker`` (a holder's own certificates), ``staff`` (the certificate scanner and
scan log), ``bureau`` (the register and its actions), ``desk`` (a centre's certificate desk,
under ``/centre/<code>/desk/``), ``decode`` (the one server-side QR decoder both scanners use)
and ``centre`` (the gate of pages served under a centre's address)."""
