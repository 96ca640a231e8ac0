package io.steward.core.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpAddressesTest {
    @Test
    void ipv6IsShortenedTheCanonicalWay() {
        assertThat(IpAddresses.canonical("fd00:0:0:0:0:0:0:2")).isEqualTo("fd00::2");
        assertThat(IpAddresses.canonical("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(IpAddresses.canonical("0:0:0:0:0:0:0:0")).isEqualTo("::");
        assertThat(IpAddresses.canonical("FE80:0:0:0:FC:FF:FE00:1%eth0")).isEqualTo("fe80::fc:ff:fe00:1%eth0");
        assertThat(IpAddresses.canonical("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpAddresses.canonical("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(IpAddresses.canonical("2001:db8:0:0:1:1:1:0")).isEqualTo("2001:db8::1:1:1:0");
    }

    @Test
    void otherTextIsLeftAlone() {
        assertThat(IpAddresses.canonical("192.0.2.2")).isEqualTo("192.0.2.2");
        assertThat(IpAddresses.canonical("fd00::2")).isEqualTo("fd00::2");
        assertThat(IpAddresses.canonical("not:an:address:at:all:x:y:z")).isEqualTo("not:an:address:at:all:x:y:z");
    }
}
