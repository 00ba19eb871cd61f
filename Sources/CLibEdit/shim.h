#ifndef DWH_CLIBEDIT_SHIM_H
#define DWH_CLIBEDIT_SHIM_H

#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <locale.h>
#include <langinfo.h>
#include <editline/readline.h>
#include <histedit.h>

// el_set and history are variadic: Swift cannot call them, so each use gets a wrapper.

// C globals are shared mutable state to Swift 6; these accessors read them in C.
static inline FILE *dwh_stdin(void) { return stdin; }
static inline FILE *dwh_stdout(void) { return stdout; }
static inline FILE *dwh_stderr(void) { return stderr; }

typedef wchar_t *(*dwh_wprompt_fn)(EditLine *);
typedef unsigned char (*dwh_editor_fn)(EditLine *, int);

/// libedit decodes typed bytes into characters with the C library's LC_CTYPE, and drops
/// what that locale cannot decode: in the "C" locale every byte above 0x7F. The locale's
/// own LC_CTYPE is kept when it is UTF-8; otherwise a UTF-8 one is used, so UTF-8 still
/// passes through unchanged. Returns 1 when LC_CTYPE is UTF-8 afterwards.
static inline int dwh_use_utf8_ctype(void) {
    static const char *const fallbacks[] = { "", "C.UTF-8", "C.utf8", "en_US.UTF-8", NULL };
    for (int i = 0; fallbacks[i] != NULL; i++) {
        if (setlocale(LC_CTYPE, fallbacks[i]) == NULL) continue;
        const char *codeset = nl_langinfo(CODESET);
        if (codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0)) return 1;
    }
    return 0;
}

/// The prompt, as wide characters (el_wset: the prompt function returns wchar_t *).
static inline int dwh_el_wset_prompt(EditLine *el, dwh_wprompt_fn fn) {
    return el_wset(el, EL_PROMPT, fn);
}

static inline int dwh_el_set_editor(EditLine *el, const char *mode) {
    return el_set(el, EL_EDITOR, mode);
}

/// EL_HIST takes the history function itself and the History it works on: the wide one,
/// set with el_wset, so entries are kept as characters and never narrowed.
static inline int dwh_el_wset_history(EditLine *el, HistoryW *h) {
    return el_wset(el, EL_HIST, history_w, h);
}

static inline int dwh_el_set_clientdata(EditLine *el, void *data) {
    return el_set(el, EL_CLIENTDATA, data);
}

static inline void *dwh_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}

static inline int dwh_el_add_function(EditLine *el, const char *name, const char *help, dwh_editor_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}

static inline int dwh_el_bind(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, key, command, NULL);
}

/// Changes one terminal mode flag while editing, e.g. "-isig" so Ctrl-C reaches the editor.
static inline int dwh_el_setty_edit(EditLine *el, const char *flag) {
    return el_set(el, EL_SETTY, "-d", flag, NULL);
}

static inline int dwh_history_setsize(HistoryW *h, int size) {
    HistEventW event;
    return history_w(h, &event, H_SETSIZE, size);
}

static inline int dwh_history_setunique(HistoryW *h, int unique) {
    HistEventW event;
    return history_w(h, &event, H_SETUNIQUE, unique);
}

static inline int dwh_history_enter(HistoryW *h, const wchar_t *line) {
    HistEventW event;
    return history_w(h, &event, H_ENTER, line);
}

/// File names stay multibyte (char *) in the wide history API.
static inline int dwh_history_load(HistoryW *h, const char *path) {
    HistEventW event;
    return history_w(h, &event, H_LOAD, path);
}

static inline int dwh_history_save(HistoryW *h, const char *path) {
    HistEventW event;
    return history_w(h, &event, H_SAVE, path);
}

#endif
