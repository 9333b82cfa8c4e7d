/* SPDX-License-Identifier: Apache-2.0 */
/* Test helper, installed setuid-root inside a VE: prints its real and effective uid. */
#include <stdio.h>
#include <unistd.h>

int
main (void)
{
  printf ("%d %d\n", (int) getuid (), (int) geteuid ());
  return 0;
}
