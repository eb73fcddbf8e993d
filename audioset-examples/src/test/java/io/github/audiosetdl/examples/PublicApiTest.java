package io.github.audiosetdl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The library modules' public API names only JDK types and types of our public packages (the style guide: no jhdf,
 * commons-csv, jackson, JTransforms, ejml or SLF4J type in a public signature; nor one of an {@code internal}
 * package). Every public type of the public packages of {@code audioset-core}, {@code audioset-cochlea} and
 * {@code audioset-hdf5} ({@code internal} packages are not API and are excluded, as they are from the javadoc) is
 * reflected over: its superclass, interfaces, type parameters, record components, and every public or protected
 * (where a subclass outside the package can see it) constructor, method and field, with their generic parameter,
 * return and exception types and annotations, inherited members included.
 */
class PublicApiTest {
    private static final String ROOT = "io.github.audiosetdl.";
    private static final List<Class<?>> TYPES = new ArrayList<>();

    @BeforeAll
    static void loadLibraryClasses() throws Exception {
        Set<String> names = new TreeSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.toString();
            boolean library = name.contains("audioset-core") || name.contains("audioset-cochlea")
                    || name.contains("audioset-hdf5");
            boolean main = !name.contains("test-classes") && !name.endsWith("-tests.jar");
            if (library && main && Files.exists(p)) {
                names.addAll(classNames(p));
            }
        }
        ClassLoader loader = PublicApiTest.class.getClassLoader();
        for (String n : names) {
            if (n.startsWith(ROOT) && !n.contains(".internal.") && !n.endsWith("package-info")
                    && !n.endsWith("module-info")) {
                Class<?> c = Class.forName(n, false, loader);
                if (isApi(c)) {
                    TYPES.add(c);
                }
            }
        }
        assertThat(TYPES).as("the library's public types").extracting(Class::getName)
                .contains(ROOT + "core.pipeline.AudioSetPipeline", ROOT + "cochlea.Cochleagram",
                        ROOT + "hdf5.WaveformFileWriter");
    }

    @Test
    void publicSignaturesNameOnlyJdkAndProjectTypes() {
        Set<String> exposures = new TreeSet<>();
        for (Class<?> c : TYPES) {
            String owner = c.getName();
            check(exposures, owner + " extends", c.getGenericSuperclass());
            for (Type t : c.getGenericInterfaces()) {
                check(exposures, owner + " implements", t);
            }
            for (TypeVariable<?> v : c.getTypeParameters()) {
                check(exposures, owner + " <" + v.getName() + ">", v);
            }
            annotations(exposures, owner, c);
            if (c.isRecord()) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    check(exposures, owner + " component " + rc.getName(), rc.getGenericType());
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (visible(c, k)) {
                    executable(exposures, owner + ".<init>" + params(k), k);
                }
            }
            for (Method m : methods(c)) {
                executable(exposures, owner + "." + m.getName() + params(m), m);
                check(exposures, owner + "." + m.getName() + params(m) + " returns", m.getGenericReturnType());
            }
            for (Field f : fields(c)) {
                check(exposures, owner + "." + f.getName(), f.getGenericType());
                annotations(exposures, owner + "." + f.getName(), f);
            }
        }
        assertThat(exposures).as("public signatures exposing a type neither the JDK's nor of our public packages")
                .isEmpty();
    }

    @Test
    void theCheckSeesThirdPartyAndInternalTypes() throws ClassNotFoundException {
        Set<String> found = new TreeSet<>();
        check(found, "probe", JarFile.class);
        check(found, "probe", PublicApiTest.class);
        check(found, "probe", org.slf4j.Logger.class);
        check(found, "probe", new ArrayList<org.slf4j.Logger>() { }.getClass().getGenericSuperclass());
        check(found, "internal", Class.forName(ROOT + "core.internal.DataSetNames"));
        assertThat(found).containsExactly("internal: " + ROOT + "core.internal.DataSetNames",
                "probe: org.slf4j.Logger");
    }

    /** A public type, or a protected nested one of a public class that can be subclassed, all the way out. */
    private static boolean isApi(Class<?> c) {
        if (c.isSynthetic() || c.isAnonymousClass() || c.isLocalClass()) {
            return false;
        }
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            boolean protectedNested = Modifier.isProtected(k.getModifiers()) && k.getDeclaringClass() != null
                    && !Modifier.isFinal(k.getDeclaringClass().getModifiers());
            if (!Modifier.isPublic(k.getModifiers()) && !protectedNested) {
                return false;
            }
        }
        return true;
    }

    /** Public members, and protected ones where a subclass outside the package can see them. */
    private static boolean visible(Class<?> c, Member m) {
        int mod = m.getModifiers();
        if (m instanceof Executable e && e.isSynthetic() || m instanceof Field f && f.isSynthetic()) {
            return false;
        }
        return Modifier.isPublic(mod) || Modifier.isProtected(mod) && !Modifier.isFinal(c.getModifiers())
                && !c.isEnum() && !c.isRecord() && hasVisibleConstructor(c);
    }

    private static boolean hasVisibleConstructor(Class<?> c) {
        return c.isInterface() || Arrays.stream(c.getDeclaredConstructors())
                .anyMatch(k -> Modifier.isPublic(k.getModifiers()) || Modifier.isProtected(k.getModifiers()));
    }

    private static List<Method> methods(Class<?> c) {
        List<Method> out = new ArrayList<>();
        Set<Class<?>> seen = new HashSet<>();
        List<Class<?>> todo = new ArrayList<>(List.of(c));
        while (!todo.isEmpty()) {
            Class<?> k = todo.remove(todo.size() - 1);
            if (k == null || !seen.add(k) || !k.getName().startsWith(ROOT)) {
                continue;
            }
            for (Method m : k.getDeclaredMethods()) {
                if (visible(c, m) && !m.isBridge()) {
                    out.add(m);
                }
            }
            todo.add(k.getSuperclass());
            todo.addAll(List.of(k.getInterfaces()));
        }
        return out;
    }

    private static List<Field> fields(Class<?> c) {
        List<Field> out = new ArrayList<>();
        for (Class<?> k = c; k != null && k.getName().startsWith(ROOT); k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (visible(c, f)) {
                    out.add(f);
                }
            }
        }
        for (Field f : c.getFields()) {
            if (!out.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }

    private static void executable(Set<String> out, String where, Executable e) {
        Type[] params = e.getGenericParameterTypes();
        for (int i = 0; i < params.length; i++) {
            check(out, where + " parameter " + i, params[i]);
        }
        for (Type t : e.getGenericExceptionTypes()) {
            check(out, where + " throws", t);
        }
        for (TypeVariable<?> v : e.getTypeParameters()) {
            check(out, where + " <" + v.getName() + ">", v);
        }
        annotations(out, where, e);
        for (Parameter p : e.getParameters()) {
            annotations(out, where + " parameter " + p.getName(), p);
        }
    }

    private static void annotations(Set<String> out, String where, AnnotatedElement element) {
        for (Annotation a : element.getDeclaredAnnotations()) {
            check(out, where + " @", a.annotationType());
        }
    }

    private static String params(Executable e) {
        return Arrays.stream(e.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private static void check(Set<String> out, String where, Type type) {
        check(out, where, type, new HashSet<>());
    }

    private static void check(Set<String> out, String where, Type type, Set<Type> seen) {
        if (type == null || !seen.add(type)) {
            return;
        }
        if (type instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            boolean ours = c.getName().startsWith(ROOT) && !c.getName().contains(".internal.");
            if (!c.isPrimitive() && !isJdk(c) && !ours) {
                out.add(where + ": " + c.getName());
            }
        } else if (type instanceof ParameterizedType p) {
            check(out, where, p.getRawType(), seen);
            check(out, where, p.getOwnerType(), seen);
            for (Type a : p.getActualTypeArguments()) {
                check(out, where, a, seen);
            }
        } else if (type instanceof GenericArrayType g) {
            check(out, where, g.getGenericComponentType(), seen);
        } else if (type instanceof WildcardType w) {
            Stream.concat(Arrays.stream(w.getUpperBounds()), Arrays.stream(w.getLowerBounds()))
                    .forEach(b -> check(out, where, b, seen));
        } else if (type instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) {
                check(out, where, b, seen);
            }
        }
    }

    private static boolean isJdk(Class<?> c) {
        Module m = c.getModule();
        return m.isNamed() && ModuleLayer.boot().modules().contains(m)
                && (m.getName().startsWith("java.") || m.getName().startsWith("jdk."));
    }

    private static List<String> classNames(Path entry) throws IOException {
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(entry)) {
            try (Stream<Path> files = Files.walk(entry)) {
                files.filter(f -> f.toString().endsWith(".class")).forEach(f -> out.add(className(
                        entry.relativize(f).toString().replace(File.separatorChar, '/'))));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        } else {
            try (JarFile jar = new JarFile(entry.toFile())) {
                jar.stream().map(e -> e.getName())
                        .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
                        .forEach(n -> out.add(className(n)));
            }
        }
        return out;
    }

    private static String className(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }
}
