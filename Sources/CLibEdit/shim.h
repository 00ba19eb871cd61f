#ifndef DWH_CLIBEDIT_SHIM_H
#define DWH_CLIBEDIT_SHIM_H

#include <stdio.h>
#include <editline/readline.h>
#include <histedit.h>

// el_set and history are variadic: Swift cannot call them, so each use gets a wrapper.

// C globals are shared mutable state to Swift 6; these accessors read them in C.
static inline FILE *dwh_stdin(void) { return stdin; }
static inline FILE *dwh_stdout(void) { return stdout; }
static inline FILE *dwh_stderr(void) { return stderr; }

typedef char *(*dwh_prompt_fn)(EditLine *);
typedef unsigned char (*dwh_editor_fn)(EditLine *, int);

static inline int dwh_el_set_prompt(EditLine *el, dwh_prompt_fn fn) {
    return el_set(el, EL_PROMPT, fn);
}

static inline int dwh_el_set_editor(EditLine *el, const char *mode) {
    return el_set(el, EL_EDITOR, mode);
}

/// EL_HIST takes the history function itself and the History it works on.
static inline int dwh_el_set_history(EditLine *el, History *h) {
    return el_set(el, EL_HIST, history, h);
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

static inline int dwh_history_setsize(History *h, int size) {
    HistEvent event;
    return history(h, &event, H_SETSIZE, size);
}

static inline int dwh_history_setunique(History *h, int unique) {
    HistEvent event;
    return history(h, &event, H_SETUNIQUE, unique);
}

static inline int dwh_history_enter(History *h, const char *line) {
    HistEvent event;
    return history(h, &event, H_ENTER, line);
}

static inline int dwh_history_load(History *h, const char *path) {
    HistEvent event;
    return history(h, &event, H_LOAD, path);
}

static inline int dwh_history_save(History *h, const char *path) {
    HistEvent event;
    return history(h, &event, H_SAVE, path);
}

#endif
