# Turns lib/libcors.sym into a linker version script: one node per release,
# each inheriting from the one before; everything not listed stays local.
/^#/ || /^[[:space:]]*$/ { next }
/:$/ {
    if (node != "")
        close_node()
    node = substr($0, 1, length($0) - 1)
    printf "%s {\n  global:\n", node
    next
}
{ printf "    %s;\n", $1 }
function close_node() {
    if (prev == "")
        printf "  local:\n    *;\n};\n"
    else
        printf "} %s;\n", prev
    prev = node
}
END {
    if (node == "") {
        print "libcors.sym: no version node line (LIBCORS_x.y:)" > "/dev/stderr"
        exit 1
    }
    close_node()
}
