package cx.wip.ingress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpLabelTest {
    @Test
    void singleName_becomesASubdomainRoute() {
        assertThat(HttpLabel.parse("web:80")).containsExactly(new HttpTarget("web", 80));
        assertThat(new HttpTarget("web", 80).host("alice", "wip.example")).isEqualTo("web.alice.wip.example");
        assertThat(new HttpTarget("web", 80).customDomain()).isFalse();
    }

    @Test
    void severalEntries_keepTheirOrder_andNamesWithADotAreCustomDomains() {
        assertThat(HttpLabel.parse("www.example.com:8080, api:3000")).containsExactly(
                new HttpTarget("www.example.com", 8080), new HttpTarget("api", 3000));
        assertThat(new HttpTarget("www.example.com", 8080).customDomain()).isTrue();
        assertThat(new HttpTarget("www.example.com", 8080).host("alice", "wip.example")).isEqualTo("www.example.com");
    }

    @Test
    void namesAreCaseInsensitive() {
        assertThat(HttpLabel.parse("WWW.Example.COM:443")).containsExactly(new HttpTarget("www.example.com", 443));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|is empty: give NAME:PORT (e.g. \"web:80\" or \"www.example.com:8080,api:3000\")",
        "web|entry \"web\" must be NAME:PORT (e.g. \"web:80\" or \"www.example.com:8080,api:3000\")",
        "web:|entry \"web:\" must be NAME:PORT (e.g. \"web:80\" or \"www.example.com:8080,api:3000\")",
        ":80|entry \":80\" must be NAME:PORT (e.g. \"web:80\" or \"www.example.com:8080,api:3000\")",
        "web:80,|entry \"\" must be NAME:PORT (e.g. \"web:80\" or \"www.example.com:8080,api:3000\")",
        "web:http|port \"http\" must be a number from 1 to 65535",
        "web:0|port \"0\" must be a number from 1 to 65535",
        "web:70000|port \"70000\" must be a number from 1 to 65535",
        "web:+80|port \"+80\" must be a number from 1 to 65535",
        "we_b:80|\"we_b\" is not a host name (letters, digits and hyphens, dot-separated)",
        "-web:80|\"-web\" is not a host name (letters, digits and hyphens, dot-separated)",
        "*.example.com:80|\"*.example.com\" is not a host name (letters, digits and hyphens, dot-separated)",
        "10.0.0.1:80|\"10.0.0.1\" is not a host name (letters, digits and hyphens, dot-separated)",
        "user:pw@web:80|\"user:pw@web\" is not a host name (letters, digits and hyphens, dot-separated)",
        "web..example.com:80|\"web..example.com\" is not a host name (letters, digits and hyphens, dot-separated)",
        "web:80,web:81|names web twice",
    })
    void invalidValues_areRefusedWithOneLineNamingTheProblem(String value, String problem) {
        assertThatThrownBy(() -> HttpLabel.parse(value))
                .isInstanceOf(InvalidLabelException.class)
                .hasMessage("label com.wip.http=\"" + value + "\" " + problem)
                .extracting(Throwable::getMessage).asString().doesNotContain("\n");
    }

    @Test
    void overlongLabel_isRefused() {
        assertThatThrownBy(() -> HttpLabel.parse("a".repeat(64) + ":80")).isInstanceOf(InvalidLabelException.class);
    }

    @Test
    void domain_isCheckedAndLowerCased() {
        assertThat(HttpLabel.domain(" Shop.Example.com ")).isEqualTo("shop.example.com");
        assertThatThrownBy(() -> HttpLabel.domain("localhost")).isInstanceOf(InvalidLabelException.class)
                .hasMessage("\"localhost\" is not a domain name like www.example.com");
    }
}
