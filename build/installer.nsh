; Portcullis' additions to electron-builder's NSIS installer (nsis.include in build/electron-builder.config.ts).
; Leftover persistent WFP filters keep blocking after the files are gone, so the uninstaller removes them first,
; while Portcullis.exe still exists to do it. The names below must equal those in electron/core/app-identity.ts
; (AUTOSTART_TASK_NAME, DATA_FOLDER_NAME, CLI_ARG); test/unit/build checks that they do.

!define PORTCULLIS_TASK_NAME "Portcullis"
!define PORTCULLIS_DATA_FOLDER "Portcullis"
!define PORTCULLIS_CLI_ARG "--cli"
; The folder that holds only portcullis.cmd (extraFiles in build/electron-builder.config.ts), and the switches with
; which Portcullis.exe puts it on the machine PATH and takes it off (electron/main/console-path.ts).
!define PORTCULLIS_REGISTER_CONSOLE_ARG "--register-console"
!define PORTCULLIS_UNREGISTER_CONSOLE_ARG "--unregister-console"
; What Electron writes per user the first time the app shows a notification (RegisterActivator in Electron's
; shell/browser/notifications/win/windows_toast_activator.cc): EnsureShortcut saves <app name>.lnk in the user's
; FOLDERID_Programs (their Start menu's Programs folder, $SMPROGRAMS in the "current" context) carrying the
; AppUserModelId and the toast activator CLSID, and EnsureCLSIDRegistry writes
; HKCU\Software\Classes\CLSID\{CLSID} (default value, CustomActivator) with a LocalServer32 subkey naming the
; executable. The CLSID is the one main sets with app.setToastActivatorCLSID; both names must equal
; TOAST_ACTIVATOR_CLSID and ELECTRON_SHORTCUT_FILE in electron/core/app-identity.ts (test/unit/build checks).
!define PORTCULLIS_TOAST_CLSID "{DF4F4A15-40B7-44E3-A2F8-2238E9EBF9CF}"
!define PORTCULLIS_ELECTRON_SHORTCUT "Portcullis.lnk"

!macro customInstall
  DetailPrint "Adding $INSTDIR\bin (the portcullis command) to PATH..."
  nsExec::ExecToLog '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" ${PORTCULLIS_REGISTER_CONSOLE_ARG}'
  Pop $0
  ${if} $0 != 0
    DetailPrint "PATH was not changed (result: $0). Run $INSTDIR\bin\portcullis.cmd by its full path instead."
  ${endif}
  ; Started from here, elevated like the installer, so there is no second UAC prompt (runAfterFinish is off).
  ; Not in a silent install (deployment tools start it themselves, or at the next logon).
  ${ifNot} ${Silent}
    Exec '"$INSTDIR\${APP_EXECUTABLE_FILENAME}"'
  ${endif}
!macroend

!macro customUnInstall
  ; An update runs the old uninstaller with --updated: the rules, filters, logon task and data stay, the new
  ; version takes them over.
  ${ifNot} ${isUpdated}
    nsExec::ExecToLog '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" ${PORTCULLIS_UNREGISTER_CONSOLE_ARG}'
    Pop $2

    DetailPrint "Removing Portcullis' filters, sublayer and provider from the Windows Filtering Platform..."
    nsExec::ExecToLog '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" ${PORTCULLIS_CLI_ARG} reset'
    Pop $0
    ${if} $0 != 0
      DetailPrint "Portcullis reset failed (result: $0)."
      MessageBox MB_OK|MB_ICONEXCLAMATION "Portcullis could not remove its filters from the Windows Filtering Platform (result: $0).$\r$\n$\r$\nThey may keep blocking applications. To remove them, install Portcullis again, run this command as administrator, then uninstall again:$\r$\n$\r$\n    Portcullis.exe ${PORTCULLIS_CLI_ARG} reset" /SD IDOK
    ${endif}

    DetailPrint "Removing the logon task ${PORTCULLIS_TASK_NAME}..."
    ; Exit code 1 only means there was no such task (autostart was off).
    nsExec::ExecToLog '"$SYSDIR\schtasks.exe" /Delete /TN "${PORTCULLIS_TASK_NAME}" /F'
    Pop $1

    ; Electron's per-user notification shortcut and COM key, for the user running the uninstaller (the elevated
    ; account: its own Start menu and HKCU).
    DetailPrint "Removing the notification shortcut and activator Electron registered for this user..."
    SetShellVarContext current
    Delete "$SMPROGRAMS\${PORTCULLIS_ELECTRON_SHORTCUT}"
    DeleteRegKey HKCU "Software\Classes\CLSID\${PORTCULLIS_TOAST_CLSID}"
    ${if} $installMode == "all"
      SetShellVarContext all
    ${endif}
    ; Every other user signed in now: HKEY_USERS holds their loaded hives, and HKEY_USERS\<SID>\Software\Classes is
    ; their HKCU\Software\Classes. Only this fixed key is deleted; nothing read from their hives chooses what.
    ; Users who are signed out keep the key (their hives are not loaded) until they sign in to a PC without
    ; Portcullis, where it only names an executable that no longer exists.
    Push $R0
    Push $R1
    StrCpy $R0 0
    ${do}
      EnumRegKey $R1 HKU "" $R0
      ${if} $R1 == ""
        ${exitDo}
      ${endif}
      IntOp $R0 $R0 + 1
      DeleteRegKey HKU "$R1\Software\Classes\CLSID\${PORTCULLIS_TOAST_CLSID}"
    ${loop}
    Pop $R1
    Pop $R0

    ; Yes keeps the rules for a later installation; silent uninstalls keep them too. Only an explicit No deletes.
    ${if} ${Cmd} `MessageBox MB_YESNO|MB_ICONQUESTION "Keep your Portcullis rules, settings and history?$\r$\n$\r$\nYes keeps them in %ProgramData%\${PORTCULLIS_DATA_FOLDER} for a later installation.$\r$\nNo deletes them." /SD IDYES IDNO`
      ; The data is machine-wide (%ProgramData%, writable by administrators only): with the "all users" context
      ; $APPDATA is %ProgramData%.
      SetShellVarContext all
      DetailPrint "Deleting $APPDATA\${PORTCULLIS_DATA_FOLDER}"
      RMDir /r "$APPDATA\${PORTCULLIS_DATA_FOLDER}"
      ${if} $installMode != "all"
        SetShellVarContext current
      ${endif}
    ${endif}
  ${endIf}
!macroend
