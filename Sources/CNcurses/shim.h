#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H

/* Without these the wide-character API (get_wch, addnwstr, cchar_t) is not declared. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* Swift 6 refuses mutable C globals and cannot import function-like macros,
   so everything of that kind is reached through these accessors. */

static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline int cn_lines(void) { return LINES; }
static inline int cn_cols(void) { return COLS; }
static inline int cn_getmaxy(WINDOW *win) { return getmaxy(win); }
static inline int cn_getmaxx(WINDOW *win) { return getmaxx(win); }
static inline FILE *cn_stdout(void) { return stdout; }
static inline FILE *cn_stdin(void) { return stdin; }

static inline attr_t cn_a_normal(void) { return A_NORMAL; }
static inline attr_t cn_a_bold(void) { return A_BOLD; }
static inline attr_t cn_a_reverse(void) { return A_REVERSE; }
static inline attr_t cn_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cn_a_dim(void) { return A_DIM; }
static inline attr_t cn_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }

static inline int cn_key_f(int n) { return KEY_F(n); }
static inline int cn_err(void) { return ERR; }
static inline int cn_ok(void) { return OK; }

/* glibc declares wcwidth only under _XOPEN_SOURCE, which the platform module is built without. */
extern int wcwidth(wchar_t c);
static inline int cn_wcwidth(unsigned int scalar) { return wcwidth((wchar_t)scalar); }

/* nl_langinfo(CODESET) takes an enum constant Swift sees with the wrong type. */
static inline const char *cn_codeset(void) { return nl_langinfo(CODESET); }

/* SIG_IGN is a cast macro; lets Swift respect a signal the parent chose to ignore (nohup). */
static inline int cn_signal_is_ignored(int sig) {
    struct sigaction current;
    if (sigaction(sig, NULL, &current) != 0) return 0;
    return current.sa_handler == SIG_IGN;
}

#endif
