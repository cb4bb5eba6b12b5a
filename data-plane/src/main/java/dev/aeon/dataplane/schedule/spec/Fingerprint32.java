package dev.aeon.dataplane.schedule.spec;

/**
 * FarmHash's 32-bit fingerprint ({@code farmhashmk::Hash32}, Google's FarmHash 1.1), the hash Temporal's server
 * draws a schedule's jitter from. Reproduced so the same schedule is jittered to the same instants here as there.
 */
final class Fingerprint32 {

    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private Fingerprint32() {
    }

    static int of(byte[] s) {
        int len = s.length;
        if (len <= 4) {
            return len0to4(s);
        }
        if (len <= 12) {
            return len5to12(s);
        }
        if (len <= 24) {
            return len13to24(s);
        }
        int h = len;
        int g = C1 * len;
        int f = g;
        int a0 = Integer.rotateRight(fetch(s, len - 4) * C1, 17) * C2;
        int a1 = Integer.rotateRight(fetch(s, len - 8) * C1, 17) * C2;
        int a2 = Integer.rotateRight(fetch(s, len - 16) * C1, 17) * C2;
        int a3 = Integer.rotateRight(fetch(s, len - 12) * C1, 17) * C2;
        int a4 = Integer.rotateRight(fetch(s, len - 20) * C1, 17) * C2;
        h = Integer.rotateRight(h ^ a0, 19) * 5 + 0xe6546b64;
        h = Integer.rotateRight(h ^ a2, 19) * 5 + 0xe6546b64;
        g = Integer.rotateRight(g ^ a1, 19) * 5 + 0xe6546b64;
        g = Integer.rotateRight(g ^ a3, 19) * 5 + 0xe6546b64;
        f = Integer.rotateRight(f + a4, 19) + 113;
        for (int p = 0; len - p > 20; p += 20) {
            int a = fetch(s, p);
            int b = fetch(s, p + 4);
            int c = fetch(s, p + 8);
            int d = fetch(s, p + 12);
            int e = fetch(s, p + 16);
            h += a;
            g += b;
            f += c;
            h = mur(d, h) + e;
            g = mur(c, g) + a;
            f = mur(b + e * C1, f) + d;
            f += g;
            g += f;
        }
        g = Integer.rotateRight(g, 11) * C1;
        g = Integer.rotateRight(g, 17) * C1;
        f = Integer.rotateRight(f, 11) * C1;
        f = Integer.rotateRight(f, 17) * C1;
        h = Integer.rotateRight(h + g, 19) * 5 + 0xe6546b64;
        h = Integer.rotateRight(h, 17) * C1;
        h = Integer.rotateRight(h + f, 19) * 5 + 0xe6546b64;
        return Integer.rotateRight(h, 17) * C1;
    }

    private static int len0to4(byte[] s) {
        int b = 0;
        int c = 9;
        for (byte v : s) {
            b = b * C1 + v; // the byte is signed, as in the reference implementation
            c ^= b;
        }
        return fmix(mur(b, mur(s.length, c)));
    }

    private static int len5to12(byte[] s) {
        int len = s.length;
        int a = len + fetch(s, 0);
        int b = len * 5 + fetch(s, len - 4);
        int c = 9 + fetch(s, (len >>> 1) & 4);
        int d = len * 5;
        return fmix(mur(c, mur(b, mur(a, d))));
    }

    private static int len13to24(byte[] s) {
        int len = s.length;
        int a = fetch(s, (len >>> 1) - 4);
        int b = fetch(s, 4);
        int c = fetch(s, len - 8);
        int d = fetch(s, len >>> 1);
        int e = fetch(s, 0);
        int f = fetch(s, len - 4);
        int h = d * C1 + len;
        a = Integer.rotateRight(a, 12) + f;
        h = mur(c, h) + a;
        a = Integer.rotateRight(a, 3) + c;
        h = mur(e, h) + a;
        a = Integer.rotateRight(a + f, 12) + d;
        h = mur(b, h) + a;
        return fmix(h);
    }

    private static int fetch(byte[] s, int i) {
        return (s[i] & 0xff) | (s[i + 1] & 0xff) << 8 | (s[i + 2] & 0xff) << 16 | (s[i + 3] & 0xff) << 24;
    }

    private static int fmix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    private static int mur(int a, int h) {
        a = Integer.rotateRight(a * C1, 17) * C2;
        h = Integer.rotateRight(h ^ a, 19);
        return h * 5 + 0xe6546b64;
    }
}
