/*
 * certcost instruction counter: a QEMU TCG plugin (API v1, QEMU 7.2).
 *
 * Counts executed guest instructions exactly between markers the firmware
 * calls (cc_mark_start/stop/pause/resume in firmware/core/measure.c). Every
 * instruction gets an inline add on one 64-bit counter (exact, and cheap);
 * only the four marker instructions get a callback, which snapshots that
 * counter. Per-block inline counters are not used: they over-count when a
 * block is cut short.
 *
 * Arguments (-plugin insn-count.so,arg=value,...):
 *   out=PATH        append results here (one line per event, see below)
 *   start=ADDR stop=ADDR pause=ADDR resume=ADDR   marker addresses (hex)
 *   ctl=PATH        (count and time modes) a file the harness rewrites
 *                   before each op: `LIMIT MODE AFTER`. LIMIT: an op whose
 *                   bracket executes more instructions than that is a hang;
 *                   the plugin writes `limit N` and kills QEMU (checked every
 *                   few ms, so the cut-off is by instructions, not by how
 *                   busy the host is; 0: none). MODE: count or time, the
 *                   instrumentation for this op (a switch to time happens as
 *                   its bracket opens: such an op gets a span, never a
 *                   count); AFTER: the instrumentation to switch to as its
 *                   bracket closes, so that a counted op after verdict-only
 *                   ones is counted in full. A switch retranslates the code
 *                   (qemu_plugin_reset), between two translation blocks.
 *   mode=count|addr|time
 *                   addr: also per-instruction-address counts with
 *                   disassembly, and taken block-to-block edges, for the
 *                   cycle model and per-function profiles
 *                   time: no per-instruction counting at all (QEMU runs at
 *                   nearly its raw speed): for runs that need only the
 *                   device's answers (Wycheproof verdicts). Executed
 *                   instructions are then tallied per translation block,
 *                   which over-counts a block cut short (a fault): an
 *                   approximate figure for the harness's timing only.
 * Output lines:
 *   ready                       plugin loaded
 *   count N NS TOTAL            one per cc_mark_stop: instructions counted,
 *                               wall-clock ns spent in the counted stretches,
 *                               instructions executed since QEMU started
 *   span NS TOTAL INSNS         (time mode) one per cc_mark_stop instead of
 *                               count: wall ns of the bracket, executed
 *                               total, and the bracket's executed
 *                               instructions, per block (approximate)
 *   insn ADDR N SIZE [DISAS]    (addr mode) per address, after each count;
 *                               DISAS only the first time an address is
 *                               written
 *   edge FROM TO N              (addr mode) FROM = last insn of a block
 *   end NS                      (addr mode) closes one op's profile; NS:
 *                               wall ns spent writing it
 *   limit N                     the bracket ran past its limit
 *                               of N instructions; QEMU is killed
 *   exit TOTAL                  at QEMU exit: every instruction executed
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

enum { M_START, M_STOP, M_PAUSE, M_RESUME, M_N };

typedef struct {
  uint64_t vaddr;
  uint64_t count; /* inline, always running */
  uint64_t base;  /* count when the current counted stretch began */
  uint64_t acc;   /* counted so far in this op */
  uint32_t size;
  int dumped; /* its disassembly has been written once */
  char *disas;
} InsnRec;

typedef struct {
  uint64_t first; /* first insn address of the block */
  uint64_t last;  /* last insn address of the block */
} TbRec;

static uint64_t total;
static uint64_t marks[M_N];
static int have_mark[M_N];
static int running, paused;
static uint64_t t0, acc;
static uint64_t ns0, acc_ns; /* wall clock of the counted stretches */
static int out_fd = -1;
static int addr_mode, time_mode; /* time_mode: the instrumentation now in place */
static int want_time, reset_pending, op_counted = 1;
static qemu_plugin_id_t self;
static GHashTable *insns; /* vaddr -> InsnRec */
static GHashTable *edges; /* (from,to) packed -> uint64_t count */
static const TbRec *prev_tb;
static GMutex lock;
static char *ctl_path;
static uint64_t limit; /* instructions the current bracket may execute; 0: none */

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void emit(GString *s) {
  const char *p = s->str;
  size_t n = s->len;
  while (n) {
    ssize_t w = write(out_fd, p, n);
    if (w <= 0) break;
    p += w;
    n -= (size_t)w;
  }
}

static void snapshot_begin(void) {
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init(&it, insns);
  while (g_hash_table_iter_next(&it, &k, &v)) ((InsnRec *)v)->base = ((InsnRec *)v)->count;
}

static void snapshot_accumulate(void) {
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init(&it, insns);
  while (g_hash_table_iter_next(&it, &k, &v)) {
    InsnRec *r = v;
    r->acc += r->count - r->base;
    r->base = r->count;
  }
}

static gint by_addr(gconstpointer a, gconstpointer b) {
  uint64_t x = (*(InsnRec *const *)a)->vaddr, y = (*(InsnRec *const *)b)->vaddr;
  return x < y ? -1 : x > y;
}

static void dump_profile(GString *s) {
  GPtrArray *arr = g_ptr_array_new();
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init(&it, insns);
  while (g_hash_table_iter_next(&it, &k, &v))
    if (((InsnRec *)v)->acc) g_ptr_array_add(arr, v);
  g_ptr_array_sort(arr, by_addr);
  for (guint i = 0; i < arr->len; i++) {
    InsnRec *r = g_ptr_array_index(arr, i);
    /* The disassembly only the first time: an address's instruction never changes (the code is in flash). */
    if (r->dumped) g_string_append_printf(s, "insn %" PRIx64 " %" PRIu64 " %u\n", r->vaddr, r->acc, r->size);
    else g_string_append_printf(s, "insn %" PRIx64 " %" PRIu64 " %u %s\n", r->vaddr, r->acc, r->size, r->disas);
    r->dumped = 1;
    r->acc = 0;
  }
  g_ptr_array_free(arr, TRUE);
  g_hash_table_iter_init(&it, edges);
  while (g_hash_table_iter_next(&it, &k, &v)) {
    uint64_t key = *(uint64_t *)k;
    g_string_append_printf(s, "edge %" PRIx64 " %" PRIx64 " %" PRIu64 "\n", key >> 32, key & 0xffffffffu,
                           *(uint64_t *)v);
  }
  g_hash_table_remove_all(edges);
}

static void on_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
static void on_qemu_exit(qemu_plugin_id_t id, void *p);

/* The harness's wishes for the op whose bracket opens (read_ctl). */
static int ctl_mode, ctl_after;

static void read_ctl(void) {
  char buf[64] = {0}, m[8] = {0}, a[8] = {0};
  unsigned long long lim = 0;
  int fd = open(ctl_path, O_RDONLY);
  limit = 0;
  ctl_mode = ctl_after = time_mode;
  if (fd < 0) return;
  if (read(fd, buf, sizeof buf - 1) > 0 && sscanf(buf, "%llu %7s %7s", &lim, m, a) >= 1) {
    limit = lim;
    if (m[0]) ctl_mode = !strcmp(m, "time");
    if (a[0]) ctl_after = !strcmp(a, "time");
  }
  close(fd);
}

/* Runs with every vCPU stopped, the code cache flushed and our callbacks
 * gone: instrument from here on in the wanted mode. */
static void on_reset(qemu_plugin_id_t id) {
  time_mode = want_time;
  reset_pending = 0;
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_trans);
  qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
}

/* Called under `lock` from a marker callback (a vCPU context). */
static void request_mode(int time) {
  want_time = time;
  if (reset_pending) return; /* on_reset applies the latest wish */
  reset_pending = 1;
  qemu_plugin_reset(self, on_reset);
}

/* Marker callbacks. The marker instruction's own inline add may run before
 * or after this callback; either way it is the same every run. */
static void on_mark(unsigned int vcpu, void *udata) {
  int m = (int)(intptr_t)udata;
  g_mutex_lock(&lock);
  switch (m) {
    case M_START:
      running = 1;
      paused = 0;
      acc = 0;
      t0 = total;
      acc_ns = 0;
      ns0 = now_ns();
      prev_tb = NULL;
      op_counted = !time_mode && !reset_pending;
      if (ctl_path) {
        read_ctl();
        if (!addr_mode && ctl_mode != time_mode) {
          op_counted = 0; /* switching now: this op is timed, not counted */
          request_mode(ctl_mode);
        }
      }
      if (addr_mode) {
        snapshot_begin();
        g_hash_table_remove_all(edges);
      }
      break;
    case M_PAUSE:
      if (running && !paused) {
        acc += total - t0;
        acc_ns += now_ns() - ns0;
        paused = 1;
        if (addr_mode) snapshot_accumulate();
      }
      break;
    case M_RESUME:
      if (running && paused) {
        t0 = total;
        ns0 = now_ns();
        paused = 0;
        prev_tb = NULL;
        if (addr_mode) snapshot_begin();
      }
      break;
    case M_STOP:
      if (running) {
        if (!paused) {
          acc += total - t0;
          acc_ns += now_ns() - ns0;
          if (addr_mode) snapshot_accumulate();
        }
        GString *s = g_string_new(NULL);
        if (!op_counted || time_mode)
          g_string_append_printf(s, "span %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", acc_ns, total, acc);
        else
          g_string_append_printf(s, "count %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", acc, acc_ns, total);
        if (addr_mode) {
          uint64_t d0 = now_ns();
          dump_profile(s);
          emit(s);
          g_string_truncate(s, 0);
          g_string_append_printf(s, "end %" PRIu64 "\n", now_ns() - d0);
        }
        emit(s);
        g_string_free(s, TRUE);
        running = 0;
        paused = 0;
        if (ctl_path && !addr_mode && ctl_after != (reset_pending ? want_time : time_mode)) request_mode(ctl_after);
      }
      break;
  }
  g_mutex_unlock(&lock);
}

/* Taken edges between blocks, recorded only while counting. */
static void on_tb_exec(unsigned int vcpu, void *udata) {
  const TbRec *tb = udata;
  if (running && !paused && prev_tb) {
    uint64_t key = (prev_tb->last << 32) | (tb->first & 0xffffffffu);
    uint64_t *n = g_hash_table_lookup(edges, &key);
    if (!n) {
      uint64_t *k = g_new(uint64_t, 1);
      *k = key;
      n = g_new0(uint64_t, 1);
      g_hash_table_insert(edges, k, n);
    }
    (*n)++;
  }
  prev_tb = tb;
}

static void on_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  size_t n = qemu_plugin_tb_n_insns(tb);
  TbRec *rec = NULL;
  if (addr_mode && n) {
    rec = g_new0(TbRec, 1); /* kept for the life of QEMU: blocks may be re-run */
    rec->first = qemu_plugin_insn_vaddr(qemu_plugin_tb_get_insn(tb, 0));
    rec->last = qemu_plugin_insn_vaddr(qemu_plugin_tb_get_insn(tb, n - 1));
    qemu_plugin_register_vcpu_tb_exec_cb(tb, on_tb_exec, QEMU_PLUGIN_CB_NO_REGS, rec);
  }
  /* Time mode: one add per block executed (cheap, approximate), and
   * callbacks only on the markers. */
  if (time_mode && n) qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &total, n);
  for (size_t i = 0; i < n; i++) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    uint64_t va = qemu_plugin_insn_vaddr(insn);
    if (!time_mode) qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &total, 1);
    for (int m = 0; m < M_N; m++)
      if (have_mark[m] && va == marks[m])
        qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark, QEMU_PLUGIN_CB_NO_REGS, (void *)(intptr_t)m);
    if (addr_mode) {
      g_mutex_lock(&lock);
      InsnRec *r = g_hash_table_lookup(insns, &va);
      if (!r) {
        r = g_new0(InsnRec, 1);
        r->vaddr = va;
        r->size = (uint32_t)qemu_plugin_insn_size(insn);
        r->disas = qemu_plugin_insn_disas(insn);
        g_hash_table_insert(insns, &r->vaddr, r);
      }
      g_mutex_unlock(&lock);
      qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &r->count, 1);
    }
  }
}

/* Time mode: a hang is cut off by instructions. The vCPU thread keeps
 * `total` current (inline adds); this thread looks every 2 ms. */
static gpointer watchdog(gpointer unused) {
  /* Signals are QEMU's (it reads SIGIO and others through a signalfd). */
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, NULL);
  for (;;) {
    g_usleep(2000);
    g_mutex_lock(&lock);
    int over = running && !paused && limit && total - t0 + acc > limit;
    uint64_t lim = limit;
    g_mutex_unlock(&lock);
    if (over) {
      GString *s = g_string_new(NULL);
      g_string_append_printf(s, "limit %" PRIu64 "\n", lim);
      emit(s);
      kill(getpid(), SIGKILL);
    }
  }
  return NULL;
}

static void on_qemu_exit(qemu_plugin_id_t id, void *p) {
  GString *s = g_string_new(NULL);
  g_string_append_printf(s, "exit %" PRIu64 "\n", total);
  emit(s);
  g_string_free(s, TRUE);
  if (out_fd > 2) close(out_fd);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv) {
  static const char *names[M_N] = {"start", "stop", "pause", "resume"};
  const char *out = NULL;
  for (int i = 0; i < argc; i++) {
    char *eq = strchr(argv[i], '=');
    if (!eq) {
      fprintf(stderr, "insn-count: bad argument '%s'\n", argv[i]);
      return -1;
    }
    size_t kl = (size_t)(eq - argv[i]);
    const char *val = eq + 1;
    int known = 0;
    for (int m = 0; m < M_N; m++)
      if (strlen(names[m]) == kl && !strncmp(argv[i], names[m], kl)) {
        /* Thumb symbols carry bit 0; instruction addresses do not. */
        marks[m] = strtoull(val, NULL, 16) & ~1ull;
        have_mark[m] = known = 1;
      }
    if (kl == 3 && !strncmp(argv[i], "out", 3)) out = val, known = 1;
    if (kl == 3 && !strncmp(argv[i], "ctl", 3)) ctl_path = g_strdup(val), known = 1;
    if (kl == 4 && !strncmp(argv[i], "mode", 4)) {
      if (!strcmp(val, "addr")) addr_mode = 1;
      else if (!strcmp(val, "time")) time_mode = 1;
      else if (strcmp(val, "count")) {
        fprintf(stderr, "insn-count: mode must be count, addr or time\n");
        return -1;
      }
      known = 1;
    }
    if (!known) {
      fprintf(stderr, "insn-count: unknown argument '%s'\n", argv[i]);
      return -1;
    }
  }
  if (!out || !have_mark[M_START] || !have_mark[M_STOP]) {
    fprintf(stderr, "insn-count: out=, start= and stop= are required\n");
    return -1;
  }
  /* QEMU dies with the harness that started it, however the harness dies
   * (even SIGKILL): no orphan emulators left spinning after a crash. */
  pid_t parent = getppid();
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(1);
  out_fd = open(out, O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (out_fd < 0) {
    perror("insn-count: out");
    return -1;
  }
  insns = g_hash_table_new(g_int64_hash, g_int64_equal);
  edges = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
  GString *s = g_string_new("ready\n");
  emit(s);
  g_string_free(s, TRUE);
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_trans);
  qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
  self = id;
  want_time = time_mode;
  if (ctl_path && !addr_mode) g_thread_unref(g_thread_new("insn-count-limit", watchdog, NULL));
  return 0;
}
