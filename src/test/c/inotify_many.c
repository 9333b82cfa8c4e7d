/* SPDX-License-Identifier: Apache-2.0 */
/* Opens inotify instances until refused or argv[1] are open; prints how many it got, then holds them argv[2]
   seconds. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  int wanted = argc > 1 ? atoi (argv[1]) : 300, n = 0;

  while (n < wanted && inotify_init1 (IN_CLOEXEC) >= 0)
    n++;
  printf ("%d\n", n);
  fflush (stdout);
  if (argc > 2)
    sleep ((unsigned) atoi (argv[2]));
  return 0;
}
