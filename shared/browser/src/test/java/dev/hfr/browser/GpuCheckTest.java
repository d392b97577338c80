package dev.hfr.browser;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GpuCheckTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)",
        "Google SwiftShader",
        "ANGLE (Google, SWIFTSHADER Device, OpenGL ES 3.0)"})
    void swiftShaderPasses(String renderer) {
        assertTrue(GpuCheck.isSoftware(renderer));
        assertDoesNotThrow(() -> GpuCheck.requireSoftware(renderer));
    }

    @Test
    void noWebGlPasses() {
        assertTrue(GpuCheck.isSoftware(null));
        assertTrue(GpuCheck.isSoftware(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ANGLE (NVIDIA, NVIDIA GeForce RTX 3080 Direct3D11 vs_5_0 ps_5_0, D3D11)",
        "Mesa Intel(R) UHD Graphics 620 (KBL GT2)",
        "llvmpipe (LLVM 15.0.6, 256 bits)"})
    void hardwareOrOtherRendererFails(String renderer) {
        RenderException e = assertThrows(RenderException.class, () -> GpuCheck.requireSoftware(renderer));
        assertEquals(ErrorCode.BROWSER_GPU_NOT_SOFTWARE, e.code());
        assertTrue(e.getMessage().contains(renderer), e.getMessage());
    }
}
