// The floor of the kernel benchmarks: a "kernel" that computes nothing. It binds the sockets of
// a Jupyter connection file and answers at once, with correctly signed messages (HMAC-SHA256,
// libsodium as Trainbook), exactly the messages Trainbook's kernel sends for `1+1`: on IOPub
// busy, execute_input, execute_result ("2") and idle, and the execute_reply on shell (after
// the result, before idle, as the kernel does); kernel_info_request gets a minimal reply and
// shutdown_request ends it; any other request gets its reply with an error status. Every
// execute_request is answered as `1+1` is: it is an instrument, not an interpreter. Timed by
// the same client as the kernels (bench/harness), it shows how much of a round trip and of a
// start is the client's, ZeroMQ's and the system's. It skips work a real kernel must do: it
// verifies no signature, detects no replayed message, parses no JSON beyond finding a few
// fields, and publishes no `starting` status or iopub_welcome; a kernel's share beyond it
// includes that mandatory protocol work.
//
// Usage: responder CONNECTION_FILE    (built by bench/harness/floor.py: cc -O2 … -lzmq -lsodium)
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <zmq.h>

#define MAX_FRAMES 32
#define FRAME_LIMIT 65536

typedef struct {
    char *data[MAX_FRAMES];
    size_t size[MAX_FRAMES];
    int count;
} Frames;

static unsigned char key[256];
static size_t key_length;
static char session_id[40];
static unsigned long message_counter;
static long execution_count;

// The value of `"name": …` in a flat JSON object, copied into `out` (quotes removed; a
// string is cut at its first escape, which keeps what is copied valid JSON text).
static int json_field(
    const char *json, size_t length, const char *name, char *out, size_t capacity) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\"", name);
    const char *end = json + length;
    const char *at = json;
    size_t pattern_length = strlen(pattern);
    while (at + pattern_length <= end && memcmp(at, pattern, pattern_length) != 0) at++;
    if (at + pattern_length > end) return 0;
    at += pattern_length;
    while (at < end && (*at == ' ' || *at == ':')) at++;
    int quoted = at < end && *at == '"';
    if (quoted) at++;
    size_t n = 0;
    while (at < end && n + 1 < capacity) {
        int stop = quoted ? (*at == '"' || *at == '\\')
                          : (*at == ',' || *at == '}' || *at == ' ' || *at == '\n');
        if (stop) break;
        out[n++] = *at++;
    }
    out[n] = 0;
    return 1;
}

// Drops a UTF-8 sequence that a cut left incomplete at the end of `text`.
static void cut_at_character(char *text) {
    size_t n = strlen(text);
    size_t lead = n;
    while (lead > 0 && ((unsigned char)text[lead - 1] & 0xC0) == 0x80) lead--;
    if (lead == 0) return;
    unsigned char first = (unsigned char)text[lead - 1];
    size_t needed = first < 0x80 ? 1 : first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : 2;
    if (n - (lead - 1) < needed) text[lead - 1] = 0;
}

static void *allocate(size_t size) {
    void *memory = malloc(size);
    if (!memory) {
        fprintf(stderr, "responder: out of memory\n");
        exit(1);
    }
    return memory;
}

static void receive(void *socket, Frames *frames) {
    frames->count = 0;
    int more = 1;
    while (more) {
        zmq_msg_t part;
        zmq_msg_init(&part);
        if (zmq_msg_recv(&part, socket, 0) < 0) {
            zmq_msg_close(&part);
            exit(1);
        }
        if (frames->count < MAX_FRAMES) {
            size_t size = zmq_msg_size(&part);
            frames->data[frames->count] = allocate(size + 1);
            memcpy(frames->data[frames->count], zmq_msg_data(&part), size);
            frames->data[frames->count][size] = 0;
            frames->size[frames->count] = size;
            frames->count++;
        }
        more = zmq_msg_more(&part);
        zmq_msg_close(&part);
    }
}

static void release(Frames *frames) {
    for (int i = 0; i < frames->count; i++) free(frames->data[i]);
    frames->count = 0;
}

// Sends identities (or a topic), the delimiter, the signature and the four parts.
static void send_message(
    void *socket, char **identities, size_t *identity_sizes, int identity_count, const char *type,
    const char *parent, size_t parent_size, const char *content) {
    char header[512];
    struct timeval now;
    gettimeofday(&now, NULL);
    struct tm utc;
    gmtime_r(&now.tv_sec, &utc);
    char date[40];
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &utc);
    snprintf(header, sizeof header,
             "{\"msg_id\":\"%s_%lu\",\"msg_type\":\"%s\",\"username\":\"floor\","
             "\"session\":\"%s\",\"date\":\"%s.%06ldZ\",\"version\":\"5.3\"}",
             session_id, ++message_counter, type, session_id, date, (long)now.tv_usec);
    const char *metadata = "{}";
    const char *parts[4] = {header, parent, metadata, content};
    size_t sizes[4] = {strlen(header), parent_size, strlen(metadata), strlen(content)};
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, key, key_length);
    for (int i = 0; i < 4; i++)
        crypto_auth_hmacsha256_update(&state, (const unsigned char *)parts[i], sizes[i]);
    unsigned char digest[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&state, digest);
    char signature[2 * crypto_auth_hmacsha256_BYTES + 1];
    sodium_bin2hex(signature, sizeof signature, digest, sizeof digest);
    if (key_length == 0) signature[0] = 0;
    for (int i = 0; i < identity_count; i++)
        zmq_send(socket, identities[i], identity_sizes[i], ZMQ_SNDMORE);
    zmq_send(socket, "<IDS|MSG>", 9, ZMQ_SNDMORE);
    zmq_send(socket, signature, strlen(signature), ZMQ_SNDMORE);
    for (int i = 0; i < 4; i++) zmq_send(socket, parts[i], sizes[i], i < 3 ? ZMQ_SNDMORE : 0);
}

static void publish(
    void *iopub, const char *type, const char *parent, size_t parent_size, const char *content) {
    char *topic = (char *)type;
    size_t topic_size = strlen(type);
    send_message(iopub, &topic, &topic_size, 1, type, parent, parent_size, content);
}

// Answers one request on a ROUTER socket; returns 0 after a shutdown_request.
static int answer(void *socket, void *iopub) {
    Frames frames;
    receive(socket, &frames);
    int delimiter = -1;
    for (int i = 0; i < frames.count; i++) {
        if (frames.size[i] == 9 && memcmp(frames.data[i], "<IDS|MSG>", 9) == 0) {
            delimiter = i;
            break;
        }
    }
    if (delimiter < 0 || delimiter + 5 >= frames.count) {
        release(&frames);
        return 1;
    }
    const char *parent = frames.data[delimiter + 2];
    size_t parent_size = frames.size[delimiter + 2];
    char type[64] = "";
    json_field(parent, parent_size, "msg_type", type, sizeof type);
    int keep_running = 1;
    char content[1024];
    if (strcmp(type, "execute_request") == 0) {
        char code[256] = "";
        json_field(
            frames.data[delimiter + 5], frames.size[delimiter + 5], "code", code, sizeof code);
        cut_at_character(code);
        execution_count++;
        publish(iopub, "status", parent, parent_size, "{\"execution_state\":\"busy\"}");
        snprintf(content, sizeof content, "{\"code\":\"%s\",\"execution_count\":%ld}", code,
                 execution_count);
        publish(iopub, "execute_input", parent, parent_size, content);
        snprintf(content, sizeof content,
                 "{\"data\":{\"text/plain\":\"2\"},\"metadata\":{},\"execution_count\":%ld}",
                 execution_count);
        publish(iopub, "execute_result", parent, parent_size, content);
        snprintf(content, sizeof content,
                 "{\"status\":\"ok\",\"execution_count\":%ld,\"user_expressions\":{},"
                 "\"payload\":[]}",
                 execution_count);
        send_message(socket, frames.data, frames.size, delimiter, "execute_reply", parent,
                     parent_size, content);
        publish(iopub, "status", parent, parent_size, "{\"execution_state\":\"idle\"}");
    } else if (strcmp(type, "kernel_info_request") == 0) {
        publish(iopub, "status", parent, parent_size, "{\"execution_state\":\"busy\"}");
        send_message(socket, frames.data, frames.size, delimiter, "kernel_info_reply", parent,
                     parent_size,
                     "{\"status\":\"ok\",\"protocol_version\":\"5.3\",\"implementation\":"
                     "\"floor\",\"implementation_version\":\"0\",\"language_info\":"
                     "{\"name\":\"none\"},\"banner\":\"\"}");
        publish(iopub, "status", parent, parent_size, "{\"execution_state\":\"idle\"}");
    } else if (strcmp(type, "shutdown_request") == 0) {
        send_message(socket, frames.data, frames.size, delimiter, "shutdown_reply", parent,
                     parent_size, "{\"status\":\"ok\",\"restart\":false}");
        keep_running = 0;
    } else {
        // X_request gets X_reply with an error status; anything else, nothing.
        size_t length = strlen(type), suffix = strlen("_request");
        if (length > suffix && strcmp(type + length - suffix, "_request") == 0) {
            char reply_type[80];
            snprintf(reply_type, sizeof reply_type, "%.*s_reply", (int)(length - suffix), type);
            send_message(socket, frames.data, frames.size, delimiter, reply_type, parent,
                         parent_size,
                         "{\"status\":\"error\",\"ename\":\"NotImplementedError\",\"evalue\":"
                         "\"the floor responder answers kernel_info, execute and shutdown only\","
                         "\"traceback\":[]}");
        }
    }
    release(&frames);
    return keep_running;
}

static void *bind_socket(
    void *context, int type, const char *connection, size_t length, const char *port_name) {
    char transport[16] = "tcp", ip[64] = "127.0.0.1", port[16] = "0", endpoint[128];
    json_field(connection, length, "transport", transport, sizeof transport);
    json_field(connection, length, "ip", ip, sizeof ip);
    json_field(connection, length, port_name, port, sizeof port);
    // Jupyter's endpoints: tcp://IP:PORT, and ipc://PATH-PORT (the "ip" is a file path).
    const char *separator = strcmp(transport, "ipc") == 0 ? "-" : ":";
    snprintf(endpoint, sizeof endpoint, "%s://%s%s%s", transport, ip, separator, port);
    void *socket = zmq_socket(context, type);
    int linger = 0;
    zmq_setsockopt(socket, ZMQ_LINGER, &linger, sizeof linger);
    if (zmq_bind(socket, endpoint) != 0) {
        fprintf(stderr, "responder: cannot bind %s: %s\n", endpoint, zmq_strerror(zmq_errno()));
        exit(1);
    }
    return socket;
}

int main(int argc, char **argv) {
    // Clients interrupt a kernel before asking it to shut down; there is nothing to interrupt.
    signal(SIGINT, SIG_IGN);
    if (argc != 2 || sodium_init() < 0) {
        fprintf(stderr, "usage: responder CONNECTION_FILE\n");
        return 2;
    }
    FILE *file = fopen(argv[1], "r");
    if (!file) return 1;
    static char connection[FRAME_LIMIT];
    size_t length = fread(connection, 1, sizeof connection - 1, file);
    fclose(file);
    connection[length] = 0;
    char key_text[256] = "";
    json_field(connection, length, "key", key_text, sizeof key_text);
    key_length = strlen(key_text);
    memcpy(key, key_text, key_length);
    snprintf(session_id, sizeof session_id, "floor-%ld", (long)time(NULL));

    void *context = zmq_ctx_new();
    void *shell = bind_socket(context, ZMQ_ROUTER, connection, length, "shell_port");
    void *control = bind_socket(context, ZMQ_ROUTER, connection, length, "control_port");
    void *iopub = bind_socket(context, ZMQ_PUB, connection, length, "iopub_port");
    void *stdin_socket = bind_socket(context, ZMQ_ROUTER, connection, length, "stdin_port");
    void *heartbeat = bind_socket(context, ZMQ_REP, connection, length, "hb_port");
    zmq_pollitem_t items[] = {
        {shell, 0, ZMQ_POLLIN, 0}, {control, 0, ZMQ_POLLIN, 0}, {heartbeat, 0, ZMQ_POLLIN, 0}};
    int running = 1;
    while (running) {
        if (zmq_poll(items, 3, -1) < 0) break;
        if (items[0].revents & ZMQ_POLLIN) running = answer(shell, iopub) && running;
        if (items[1].revents & ZMQ_POLLIN) running = answer(control, iopub) && running;
        if (items[2].revents & ZMQ_POLLIN) {
            Frames ping;
            receive(heartbeat, &ping);
            for (int i = 0; i < ping.count; i++)
                zmq_send(heartbeat, ping.data[i], ping.size[i],
                         i + 1 < ping.count ? ZMQ_SNDMORE : 0);
            release(&ping);
        }
    }
    zmq_close(shell);
    zmq_close(control);
    zmq_close(iopub);
    zmq_close(stdin_socket);
    zmq_close(heartbeat);
    zmq_ctx_term(context);
    return 0;
}
