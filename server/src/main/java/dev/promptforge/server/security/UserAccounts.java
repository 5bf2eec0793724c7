package dev.promptforge.server.security;

import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;

/** Users of the {@code users} table, for password sign-in (Argon2id hashes). */
@Service
class UserAccounts implements UserDetailsService {

    private final JdbcClient jdbc;

    UserAccounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        return jdbc.sql("SELECT username, password_hash, server_admin, disabled_at FROM users WHERE username = :u")
                .param("u", username)
                .query((rs, i) -> {
                    List<GrantedAuthority> authorities = new ArrayList<>();
                    authorities.add(new SimpleGrantedAuthority("ROLE_USER"));
                    if (rs.getBoolean("server_admin")) {
                        authorities.add(new SimpleGrantedAuthority("ROLE_SERVER_ADMIN"));
                    }
                    return User.withUsername(rs.getString("username"))
                            .password(rs.getString("password_hash"))
                            .disabled(rs.getObject("disabled_at") != null)
                            .authorities(authorities)
                            .build();
                })
                .optional()
                .orElseThrow(() -> new UsernameNotFoundException("no such user"));
    }
}
