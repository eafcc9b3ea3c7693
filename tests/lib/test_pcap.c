/* unit.lib.pcap: a capture file with pcap's header and one record per packet,
 * never made over an existing file. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "lab_pcap.h"

int main(void)
{
    char dir[] = "/tmp/socklab-pcap.XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    char path[64];
    snprintf(path, sizeof path, "%s/c.pcap", dir);
    int fd = lab_pcap_create(path);
    CHECK_SYS(fd);
    time_t t0 = time(NULL);
    CHECK_SYS(lab_pcap_write(fd, "\x45\x00\x00\x14", 4));
    CHECK_SYS(lab_pcap_write(fd, "", 0));
    CHECK_SYS(close(fd));
    /* Not over an existing file, even one we made. */
    CHECK_ERRNO(lab_pcap_create(path), EEXIST);

    unsigned char b[128];
    int in = open(path, O_RDONLY);
    CHECK_SYS(in);
    ssize_t n = read(in, b, sizeof b);
    close(in);
    CHECK(n == 24 + 16 + 4 + 16, "file of %zd bytes, want 60", n);
    uint32_t magic, linktype, sec, caplen, len;
    uint16_t major, minor;
    memcpy(&magic, b, 4);
    memcpy(&major, b + 4, 2);
    memcpy(&minor, b + 6, 2);
    memcpy(&linktype, b + 20, 4);
    CHECK(magic == 0xa1b2c3d4 && major == 2 && minor == 4 && linktype == 101,
          "header %x %u.%u link %u", magic, major, minor, linktype);
    memcpy(&sec, b + 24, 4);
    memcpy(&caplen, b + 32, 4);
    memcpy(&len, b + 36, 4);
    CHECK(caplen == 4 && len == 4 && memcmp(b + 40, "\x45\x00\x00\x14", 4) == 0, "record 1");
    CHECK(sec >= (uint32_t)t0 - 1 && sec <= (uint32_t)time(NULL) + 1, "stamp %u", sec);
    memcpy(&caplen, b + 44 + 8, 4);
    CHECK(caplen == 0, "record 2 caplen %u", caplen);
    CHECK_SYS(unlink(path));
    /* A folder that does not exist: nothing made, the errno says why. */
    snprintf(path, sizeof path, "%s/no/c.pcap", dir);
    CHECK_ERRNO(lab_pcap_create(path), ENOENT);
    CHECK_SYS(rmdir(dir));
    puts("ok");
    return 0;
}
