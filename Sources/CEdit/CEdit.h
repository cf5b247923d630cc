/* libedit's readline emulation (BSD licensed), for the REPL's line editing and history. */
#include <stdio.h>
#include <editline/readline.h>
