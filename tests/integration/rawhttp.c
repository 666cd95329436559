/*
 * rawhttp.c - sends stdin verbatim to 127.0.0.1:PORT and prints what comes
 * back until the server closes, so tests can send exactly the bytes they
 * mean (malformed requests included) and see the raw response.
 *
 *   rawhttp [-d MS] PORT < request
 *
 * -d MS waits MS milliseconds between sending the request and reading, to
 * hold a connection open.  Exits 0 when a connection was made; gives up
 * reading after 20 seconds.
 *
 * Copyright (c) 2026 The libcors authors.  MIT licence, see COPYING.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Is the first response in buf[0..n) complete?  Interim 1xx responses
   are skipped. */
static int complete(const char *buf, size_t n, int head_request)
{
    size_t off = 0;

    for (;;) {
        const char *end = NULL, *p;
        size_t i, head_len, cl = 0;
        int status, has_cl = 0;

        for (i = off; i + 3 < n; i++)
            if (memcmp(buf + i, "\r\n\r\n", 4) == 0) {
                end = buf + i;
                break;
            }
        if (!end || n - off < 12)
            return 0;
        head_len = (size_t)(end - buf) + 4 - off;
        status = atoi(buf + off + 9);
        if (status >= 100 && status < 200) {
            off += head_len;
            continue;
        }
        if (head_request || status == 204 || status == 304)
            return 1;
        for (p = buf + off; p < end; p++) {
            if ((p == buf + off || p[-1] == '\n') && (size_t)(end - p) > 15 &&
                strncasecmp(p, "content-length:", 15) == 0) {
                cl = strtoul(p + 15, NULL, 10);
                has_cl = 1;
            }
        }
        return has_cl && n - off >= head_len + cl;
    }
}

int main(int argc, char **argv)
{
    struct sockaddr_in sa;
    char buf[65536];
    static char resp[1 << 22];
    size_t n, got = 0;
    long delay = 0;
    int fd, argi = 1, head_request = -1;

    if (argc > 2 && strcmp(argv[1], "-d") == 0) {
        delay = atol(argv[2]);
        argi = 3;
    }
    if (argi + 1 != argc) {
        fprintf(stderr, "usage: rawhttp [-d MS] PORT < request\n");
        return 2;
    }
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)atoi(argv[argi]));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        perror("rawhttp: connect");
        return 1;
    }
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        size_t off = 0;
        if (head_request < 0)
            head_request = n >= 5 && memcmp(buf, "HEAD ", 5) == 0;
        while (off < n) {
            ssize_t w = send(fd, buf + off, n - off, MSG_NOSIGNAL);
            if (w <= 0)
                goto read_back; /* the server may have answered and closed */
            off += (size_t)w;
        }
    }
read_back:
    if (delay > 0) {
        struct timespec ts = {delay / 1000, (delay % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        ssize_t r;
        if (poll(&p, 1, 20000) <= 0) {
            fprintf(stderr, "rawhttp: no complete answer within 20 s\n");
            fwrite(resp, 1, got, stdout);
            close(fd);
            return 3;
        }
        r = recv(fd, resp + got, sizeof resp - got, 0);
        if (r <= 0)
            break;
        got += (size_t)r;
        if (got == sizeof resp || complete(resp, got, head_request > 0))
            break;
    }
    fwrite(resp, 1, got, stdout);
    close(fd);
    return 0;
}
