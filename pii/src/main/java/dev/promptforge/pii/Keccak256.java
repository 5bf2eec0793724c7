package dev.promptforge.pii;

// Keccak-256 as Ethereum uses it (original Keccak padding 0x01, not SHA3-256's 0x06).
final class Keccak256 {

    private static final long[] ROUND_CONSTANTS = {
        0x0000000000000001L, 0x0000000000008082L, 0x800000000000808aL, 0x8000000080008000L,
        0x000000000000808bL, 0x0000000080000001L, 0x8000000080008081L, 0x8000000000008009L,
        0x000000000000008aL, 0x0000000000000088L, 0x0000000080008009L, 0x000000008000000aL,
        0x000000008000808bL, 0x800000000000008bL, 0x8000000000008089L, 0x8000000000008003L,
        0x8000000000008002L, 0x8000000000000080L, 0x000000000000800aL, 0x800000008000000aL,
        0x8000000080008081L, 0x8000000000008080L, 0x0000000080000001L, 0x8000000080008008L
    };
    private static final int[] ROTATIONS = {
        0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14
    };
    // pi step: lane x + 5y moves to y + 5((2x + 3y) mod 5)
    private static final int[] PI = new int[25];
    private static final int RATE = 136;

    static {
        for (int x = 0; x < 5; x++) {
            for (int y = 0; y < 5; y++) {
                PI[x + 5 * y] = y + 5 * ((2 * x + 3 * y) % 5);
            }
        }
    }

    private Keccak256() {}

    static byte[] digest(byte[] input) {
        long[] state = new long[25];
        int padded = (input.length / RATE + 1) * RATE;
        byte[] block = new byte[padded];
        System.arraycopy(input, 0, block, 0, input.length);
        block[input.length] ^= 0x01;
        block[padded - 1] ^= (byte) 0x80;
        long[] b = new long[25];
        for (int offset = 0; offset < padded; offset += RATE) {
            for (int i = 0; i < RATE / 8; i++) {
                long lane = 0;
                for (int k = 0; k < 8; k++) {
                    lane |= (block[offset + i * 8 + k] & 0xffL) << (8 * k);
                }
                state[i] ^= lane;
            }
            permute(state, b);
        }
        byte[] out = new byte[32];
        for (int i = 0; i < 32; i++) {
            out[i] = (byte) (state[i >> 3] >>> (8 * (i & 7)));
        }
        return out;
    }

    private static void permute(long[] a, long[] b) {
        for (int round = 0; round < 24; round++) {
            long c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20];
            long c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21];
            long c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22];
            long c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23];
            long c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24];
            long d0 = c4 ^ Long.rotateLeft(c1, 1);
            long d1 = c0 ^ Long.rotateLeft(c2, 1);
            long d2 = c1 ^ Long.rotateLeft(c3, 1);
            long d3 = c2 ^ Long.rotateLeft(c4, 1);
            long d4 = c3 ^ Long.rotateLeft(c0, 1);
            for (int y = 0; y < 25; y += 5) {
                a[y] ^= d0;
                a[y + 1] ^= d1;
                a[y + 2] ^= d2;
                a[y + 3] ^= d3;
                a[y + 4] ^= d4;
            }
            for (int i = 0; i < 25; i++) {
                b[PI[i]] = Long.rotateLeft(a[i], ROTATIONS[i]);
            }
            for (int y = 0; y < 25; y += 5) {
                long b0 = b[y];
                long b1 = b[y + 1];
                long b2 = b[y + 2];
                long b3 = b[y + 3];
                long b4 = b[y + 4];
                a[y] = b0 ^ (~b1 & b2);
                a[y + 1] = b1 ^ (~b2 & b3);
                a[y + 2] = b2 ^ (~b3 & b4);
                a[y + 3] = b3 ^ (~b4 & b0);
                a[y + 4] = b4 ^ (~b0 & b1);
            }
            a[0] ^= ROUND_CONSTANTS[round];
        }
    }
}
