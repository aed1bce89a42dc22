# Writes OUTPUT: a C++ array of every rules/*.yaml file under RULES_DIR.
file(GLOB_RECURSE files RELATIVE ${RULES_DIR} ${RULES_DIR}/*.yaml)
list(SORT files)
set(body "")
set(count 0)
foreach(f IN LISTS files)
  file(READ ${RULES_DIR}/${f} text)
  string(FIND "${text}" ")corotidy_rules\"" bad)
  if(NOT bad EQUAL -1)
    message(FATAL_ERROR "${f} contains the raw string delimiter")
  endif()
  string(APPEND body "  {\"rules/${f}\", R\"corotidy_rules(${text})corotidy_rules\"},\n")
  math(EXPR count "${count} + 1")
endforeach()
file(WRITE ${OUTPUT}.tmp "// Generated from rules/*.yaml by cmake/EmbedRules.cmake. Do not edit.\n"
  "namespace corotidy {\n"
  "struct EmbeddedRulesFile { const char *Name; const char *Text; };\n"
  "extern const EmbeddedRulesFile EmbeddedRules[] = {\n${body}  {nullptr, nullptr}};\n"
  "extern const unsigned NumEmbeddedRules = ${count};\n"
  "} // namespace corotidy\n")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
