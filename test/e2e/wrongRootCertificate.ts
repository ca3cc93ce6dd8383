// A self-signed CA that did not sign the mock's certificate: a server file that trusts it instead
// of the mock's CA makes every TLS handshake fail verification. Public test data (the key was
// thrown away); valid until 2126 so the failure is always "untrusted", never "expired".
export const WRONG_ROOT_CERTIFICATE_PEM = `-----BEGIN CERTIFICATE-----
MIIBzTCCAXOgAwIBAgIUZXsPkJl3g5SN4cxipmFeYQrigukwCgYIKoZIzj0EAwIw
OzE5MDcGA1UEAwwwc2lnc29jayB0ZXN0OiBhIHJvb3Qgbm9ib2R5IHNpZ25lZCB0
aGUgbW9jayB3aXRoMCAXDTI2MTEyNTE3NDM1NFoYDzIxMjYxMTAxMTc0MzU0WjA7
MTkwNwYDVQQDDDBzaWdzb2NrIHRlc3Q6IGEgcm9vdCBub2JvZHkgc2lnbmVkIHRo
ZSBtb2NrIHdpdGgwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAT85Roz3mQsg46E
yaH21gv3TZeqrNZsXX2x85jg32Lal1fWT/0FstOjBdhHSMPPJjXM9fXnSBc0KU1M
gap2q1wbo1MwUTAdBgNVHQ4EFgQUshCbBqltp3kAXoamyleSpUytvZQwHwYDVR0j
BBgwFoAUshCbBqltp3kAXoamyleSpUytvZQwDwYDVR0TAQH/BAUwAwEB/zAKBggq
hkjOPQQDAgNIADBFAiEA8CycgWm4r7t+03vX9kW+SDGylaE2PLmOkV3B6yOA52YC
IEB5Q4qpWfp+6/Ykp6NpbOFPAhZFy+1qFFDY9Y+l8a1P
-----END CERTIFICATE-----
`;
