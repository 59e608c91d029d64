/* Example: a deployment's own wolfSSL settings, read at the end of
 * certcost's user_settings.h (scenario build.config, mode overlay): no RSA. */
#undef NO_RSA
#define NO_RSA
