/* GSL's default error handler aborts the process; radx checks GSL's return
 * codes instead, so the library never exits. Installed when the library is
 * loaded (affects the whole process: GSL then only returns error codes). */
#include <gsl/gsl_errno.h>

__attribute__((constructor)) static void radx_gsl_errors_as_codes(void)
{
    gsl_set_error_handler_off();
}
